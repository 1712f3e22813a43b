/**
 * Files that run in another process or thread (worker scripts, BullMQ's sandboxed processors) must
 * be JavaScript. From the compiled tree a sibling is next to the caller; from the TypeScript sources
 * (the tests run those) it is the compiled copy under dist/, which `npm test` builds first.
 */
export function compiledSibling(callerUrl: string, file: string): URL {
  if (callerUrl.endsWith('.ts')) {
    const m = /^(.*)\/(src|models|probes|tasks)\/((?:[^/]+\/)*)[^/]+\.ts$/.exec(callerUrl);
    if (!m) throw new Error(`cannot place the compiled copy of ${callerUrl}`);
    return new URL(`${m[1]}/dist/${m[2]}/${m[3]}${file}`);
  }
  return new URL(`./${file}`, callerUrl);
}
