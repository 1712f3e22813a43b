/**
 * Reading a file a user or a run folder gave us: one sentence naming the file when it cannot be
 * read or parsed, with the error class of the caller (UserError for a user's input, exit 2;
 * RunFolderError for a damaged run folder).
 */
import { readFileSync } from 'node:fs';

type ErrorClass = new (message: string) => Error;

/** The file's text; `what` names it in the message ("config file", "checkpoint state.json"). */
export function readText(path: string, what: string, Err: ErrorClass): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? (e as Error).message);
    throw new Err(`cannot read ${what} ${path}: ${why}`);
  }
}

/** The file's JSON value. */
export function readJson(path: string, what: string, Err: ErrorClass): unknown {
  const text = readText(path, what, Err);
  try {
    return JSON.parse(text);
  } catch {
    throw new Err(`${what} ${path} is not valid JSON`);
  }
}
