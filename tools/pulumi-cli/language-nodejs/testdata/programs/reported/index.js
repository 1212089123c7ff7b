// Exits as the SDK's run script does after it reported an error to the user itself (exit code 32,
// "already reported"). Thrown errors take the same path, but the SDK's formatting of a thrown
// error takes many seconds on a small machine.
process.exit(32);
