/** Every rule, in catalogue order. */
import { BLOG_RULES } from './blog';
import { COMPOSITE_RULES } from './composite';
import { COSINE_RULES } from './cosine';
import { CYCLIC_RULES } from './cyclic';
import { FACTOR_RULES } from './factor';
import { FAMILY_RULES } from './families';
import { FAMILY_LOOP_RULES } from './familyLoop';
import { GENERAL_RULES } from './general';
import { LAMBDA_RULES } from './lambda';
import { LOOP_RULES } from './loop';
import { ONE_CYCLE_RULES } from './onecycle';
import { PLATEAU_RULES } from './plateau';
import { STEP_RULES } from './step';
import type { Rule } from './util';

export type { Rule } from './util';

export const ALL_RULES: readonly Rule[] = [
  ...GENERAL_RULES, ...LAMBDA_RULES, ...STEP_RULES, ...FACTOR_RULES, ...COSINE_RULES, ...CYCLIC_RULES,
  ...ONE_CYCLE_RULES, ...PLATEAU_RULES, ...COMPOSITE_RULES, ...BLOG_RULES, ...FAMILY_RULES, ...LOOP_RULES, ...FAMILY_LOOP_RULES,
];
