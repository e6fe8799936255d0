// Tests that need Redis or PostgreSQL read their URLs from the environment and are skipped without them:
// the skipped suite's title is the one line that says how to run them. .ci/run sets both and fails when
// such a suite was skipped.
import { describe } from "vitest";

/** `redis://127.0.0.1:6379` on these machines. */
export const REDIS_URL = process.env.LINEA_TEST_REDIS_URL;
/** `postgres://postgres@127.0.0.1:5432/test` on these machines. */
export const PG_URL = process.env.LINEA_TEST_PG_URL;

/** Marks the titles of suites that need a service, so that .ci/run can tell when one was skipped. */
export const SERVICE_MARK = "[service]";

function serviceDescribe(name: string, url: string | undefined, variable: string, example: string) {
  return (title: string, body: () => void): void => {
    if (url === undefined || url === "") {
      describe.skip(`${SERVICE_MARK} ${title}: skipped, needs ${name}; run with ${variable}=${example} npm test`, body);
    } else describe(`${SERVICE_MARK} ${title}`, body);
  };
}

/** A suite that needs PostgreSQL (LINEA_TEST_PG_URL). */
export const describeWithPg = serviceDescribe("PostgreSQL", PG_URL, "LINEA_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test");
/** A suite that needs Redis (LINEA_TEST_REDIS_URL). */
export const describeWithRedis = serviceDescribe("Redis", REDIS_URL, "LINEA_TEST_REDIS_URL", "redis://127.0.0.1:6379");
/** A suite that needs both Redis and PostgreSQL. */
export function describeWithRedisAndPg(title: string, body: () => void): void {
  if (!REDIS_URL) describeWithRedis(title, body);
  else describeWithPg(title, body);
}
