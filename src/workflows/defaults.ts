/** The demo's defaults, apart from the demo so that the command line reads them without loading it. */
export const demoDefaults = { out: 'runs/demo', seed: 1, rnnSteps: 150, reservoirSteps: 20 };
