#!/usr/bin/env node
// The bundled CLI; `npm ci` builds it (the `prepare` script). Stack traces are shown only with
// --verbose, and only then are worth mapping back to the sources (which costs start-up time).
if (process.argv.includes("--verbose")) process.setSourceMapsEnabled(true);
await import("../dist/cli/parity.mjs");
