// A program that fails with its own exit code.
process.exit(3);
