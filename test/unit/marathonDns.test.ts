// DC/OS DNS names of an app and VIP labels.
import { strict as assert } from "assert";
import { appDnsNames, vipNames } from "../../src/core/marathon";

describe("marathon appDnsNames", function () {
  it("names a nested app innermost first: Mesos-DNS with '.', dcos-dns with '-'", function () {
    assert.deepStrictEqual(appDnsNames("/mygroup/myapp"), [
      "myapp",
      "myapp.mygroup.marathon.mesos",
      "myapp-mygroup.marathon.containerip.dcos.thisdcos.directory",
    ]);
  });

  it("names a top-level app", function () {
    assert.deepStrictEqual(appDnsNames("/web"), ["web", "web.marathon.mesos", "web.marathon.containerip.dcos.thisdcos.directory"]);
  });

  it("treats a relative id like the absolute one and reverses deeper paths", function () {
    assert.deepStrictEqual(appDnsNames("web"), appDnsNames("/web"));
    assert.deepStrictEqual(appDnsNames("/a/b/c").slice(1), ["c.b.a.marathon.mesos", "c-b-a.marathon.containerip.dcos.thisdcos.directory"]);
  });

  it("has no names for the root group", function () {
    assert.deepStrictEqual(appDnsNames("/"), []);
  });
});

describe("marathon vipNames", function () {
  it("turns a named VIP into its l4lb name without the slashes", function () {
    const out = vipNames([{ labels: { VIP_0: "/mygroup/myapp:80" } }]);
    assert.deepStrictEqual(out, {
      vips: [{
        property: "container.portMappings[0].labels.VIP_0",
        portIndex: 0,
        port: 80,
        hostname: "mygroupmyapp.marathon.l4lb.thisdcos.directory",
        address: "mygroupmyapp.marathon.l4lb.thisdcos.directory",
      }],
      failures: [],
    });
  });

  it("reads IP VIPs, lowercase vip keys, and ignores other labels", function () {
    const out = vipNames([{ labels: { team: "a" } }, { labels: { vip_1: "1.2.3.4:5000", VIPER: "web:8080" } }], "portDefinitions");
    assert.deepStrictEqual(out.failures, []);
    assert.deepStrictEqual(out.vips.map((v) => [v.property, v.portIndex, v.address, v.port, v.ip]), [
      ["portDefinitions[1].labels.vip_1", 1, "1.2.3.4", 5000, "1.2.3.4"],
      ["portDefinitions[1].labels.VIPER", 1, "web.marathon.l4lb.thisdcos.directory", 8080, undefined],
    ]);
  });

  it("reads a plain labels map", function () {
    const out = vipNames({ VIP_0: "/db:5432" });
    assert.deepStrictEqual(out.vips.map((v) => [v.property, v.address, v.port]), [["labels.VIP_0", "db.marathon.l4lb.thisdcos.directory", 5432]]);
  });

  const BAD: [string, string, RegExp][] = [
    ["no port", "/myapp", /must be NAME:PORT or IP:PORT/],
    ["port 0", "/myapp:0", /integer from 1 to 65535/],
    ["port too large", "/myapp:70000", /integer from 1 to 65535/],
    ["named port", "/myapp:http", /integer from 1 to 65535/],
    ["empty name", ":80", /must name the VIP/],
    ["only slashes", "//:80", /must name the VIP/],
    ["a colon in the name (split on the last ':')", "/my:app:80", /must name the VIP/],
  ];
  for (const [name, value, reason] of BAD) {
    it(`refuses a VIP with ${name}`, function () {
      const out = vipNames([{}, { labels: { VIP_3: value } }]);
      assert.deepStrictEqual(out.vips, []);
      assert.deepStrictEqual(out.failures.map((f) => f.property), ["container.portMappings[1].labels.VIP_3"]);
      assert.match(out.failures[0].reason, reason);
    });
  }
});
