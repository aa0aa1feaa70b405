// Preloaded into service processes started by the cluster harness: when the
// test process dies (even by SIGKILL), the pipe on our stdin closes and we
// exit too, so no instance outlives the test that started it. Plain
// JavaScript: it is preloaded into compiled builds too, where no tsx runs.
process.stdin.on('end', () => process.exit(70));
process.stdin.on('error', () => process.exit(70));
process.stdin.resume();
// stdin must not keep a service alive that closed itself.
process.stdin.unref?.();
