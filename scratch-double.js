require("ts-node/register/transpile-only");
require("./test/support/fakeMarathon").startFakeMarathon({ deploymentMs: 200 }).then((f) => { console.log(f.clusterUrl); });
