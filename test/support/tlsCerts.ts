// A throwaway CA, a server certificate for one IP address and a client certificate, made with
// openssl in a directory of the test's own: for a dockerd started with --tlsverify.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";

export interface TlsFiles {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** dockerd arguments for a TLS-verified listener on 0.0.0.0:port. */
  dockerdArgs(port: number): string[];
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "pipe" });
}

export function makeTlsFiles(serverIp: string): TlsFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dvt-tls-"));
  const days = ["-days", "2"];
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-subj", "/CN=dvt-test-ca", ...days], dir);
  for (const [name, ext] of [["server", `subjectAltName=IP:${serverIp}\nextendedKeyUsage=serverAuth\n`], ["client", "extendedKeyUsage=clientAuth\n"]] as const) {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}-key.pem`, "-out", `${name}.csr`, "-subj", `/CN=dvt-${name}`], dir);
    openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-out", `${name}-cert.pem`, "-extfile", `${name}.ext`, ...days], dir);
  }
  const f = (n: string) => path.join(dir, n);
  return {
    dir,
    ca: f("ca.pem"),
    serverCert: f("server-cert.pem"),
    serverKey: f("server-key.pem"),
    clientCert: f("client-cert.pem"),
    clientKey: f("client-key.pem"),
    dockerdArgs: (port) => ["--host", `tcp://0.0.0.0:${port}`, "--tlsverify", "--tlscacert", f("ca.pem"), "--tlscert", f("server-cert.pem"), "--tlskey", f("server-key.pem")],
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
