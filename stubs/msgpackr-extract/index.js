// msgpackr requires this inside try/catch and uses its JavaScript decoder when it throws.
throw new Error('msgpackr-extract is replaced by a stub in infoscope (see stubs/msgpackr-extract/package.json)');
