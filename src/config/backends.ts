/** What can run a training step (the config's `backend`): the one list, read by the schema and the command line. */
export const backendChoices = ['auto', 'native', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof backendChoices)[number];
