#!/usr/bin/env node
// React's development build keeps a performance entry per render (the heap grows forever with a
// 1-second poll): production unless told otherwise, set before anything imports React.
process.env.NODE_ENV ??= 'production';
await import('./cli/cli.js');
