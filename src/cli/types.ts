import type { Command } from 'commander';

/** What a command file exports: one function per command it defines, adding its options and action. */
export type CommandFile = Record<string, (cmd: Command) => void>;
