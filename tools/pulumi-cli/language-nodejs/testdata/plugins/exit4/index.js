// A Node.js plugin that fails at start with its own exit code.
process.exit(4);
