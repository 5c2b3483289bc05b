/** A problem with the command line or its input file: reported in one line, exit code 2, no stack trace. */
export class UsageError extends Error {}
