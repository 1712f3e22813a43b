/** The config module: schemas with their defaults, the one normaliser, migration of old files, CLI flags. */
export * from './schema.js';
export { normalizeConfig, describeIssue } from './normalize.js';
export { upgradeStoredConfig } from './migrate.js';
export { trainFlags, flagHelp, applyFlags, type FlagSpec } from './flags.js';
