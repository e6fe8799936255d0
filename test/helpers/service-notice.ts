// vitest globalSetup: one line, once per `npm test`, when the tests that need Redis or PostgreSQL will skip.
export default function serviceNotice(): void {
  const missing = [
    process.env.LINEA_TEST_REDIS_URL ? undefined : "LINEA_TEST_REDIS_URL=redis://127.0.0.1:6379",
    process.env.LINEA_TEST_PG_URL ? undefined : "LINEA_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test",
  ].filter((v) => v !== undefined);
  if (missing.length > 0) {
    process.stdout.write(`linea: tests that need Redis/PostgreSQL are skipped; to run them: ${missing.join(" ")} npm test\n`);
  }
}
