/** A run folder that cannot be read as one: a damaged or missing file, or one held by another process. */
import { UserError } from '../core/errors.js';

/** One sentence naming the file and the problem; the CLI exits with code 2 and changes nothing. */
export class RunFolderError extends UserError {}

/** A write that failed (a full disk, a quota): names the file; the previous version of it is intact. */
export class WriteError extends RunFolderError {}
