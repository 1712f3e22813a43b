/** The dashboard's defaults, apart from the server so that the command line reads them without loading it. */
/** Where the dashboard listens unless told otherwise (loopback only). */
export const WATCH_DEFAULTS = { host: '127.0.0.1', port: 7070, maxClients: 64 } as const;
