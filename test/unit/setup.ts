/**
 * Loaded by mocha before every unit test file (.mocharc.json `require`): the frontends read the tree-sitter
 * grammars through a loader their host installs; in Node that is the fs loader (src/frontends/nodeGrammars).
 */
import { useNodeGrammars } from '../../src/frontends/nodeGrammars';

useNodeGrammars();
