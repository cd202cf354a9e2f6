/**
 * The server under test of `npm run bench:http`, started by bench/http.bench.ts as a child process so the load
 * generator does not share its event loop: the platform as `huiqi serve` builds it (configuration from the
 * environment, request logging on — to /dev/null here), without the demo seeding (done before) and without
 * the job worker (push is not what is measured). Prints "READY <port>" once listening.
 */
import { loadConfig } from "../packages/server/src/config.ts";
import { createPlatform } from "../packages/server/src/server.ts";

const platform = await createPlatform(loadConfig(), { logger: true, purpose: "bench:http" });
await platform.app.listen({ port: 0, host: "127.0.0.1" });
const address = platform.app.server.address();
process.send?.(`READY ${typeof address === "object" && address ? address.port : 0}`);
const stop = () =>
  void platform.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
