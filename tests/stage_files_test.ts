/**
 * stageFiles: files a chain needs, put in place whole (temporary name, mode, rename) or not
 * at all.
 * @module
 */
import assert from "node:assert/strict";
import { chain, type ChainOptions } from "../mod.ts";
import { stageFiles } from "../ffi/run/stage_files.ts";
import { assertRejectsCoreError, spawnTest } from "./_harness.ts";

spawnTest("stageFiles: a missing directory fails before anything runs", async () => {
  await assertRejectsCoreError(
    stageFiles([{ path: "/no/such/dir/file", data: "x" }]),
    "ENOENT",
  );
  await assertRejectsCoreError(
    stageFiles([{ path: "f", data: "x", mode: 0o17777 }]),
    "InvalidArgument",
  );
});

Deno.test("stageFiles: each file whole with its mode, replacing the old one; no temp left", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/run.sh`, "old");
    const before = Deno.statSync(`${dir}/run.sh`).ino;
    await stageFiles([
      { path: `${dir}/run.sh`, data: "#!/bin/sh\necho hi\n", mode: 0o755 },
      { path: `${dir}/data`, data: new Uint8Array([0, 255]) },
    ]);
    assert.equal(Deno.readTextFileSync(`${dir}/run.sh`), "#!/bin/sh\necho hi\n");
    assert.equal(Deno.statSync(`${dir}/run.sh`).mode! & 0o7777, 0o755);
    assert.notEqual(Deno.statSync(`${dir}/run.sh`).ino, before, "renamed over, not rewritten");
    assert.equal(Deno.statSync(`${dir}/data`).mode! & 0o7777, 0o644, "the default mode");
    assert.deepEqual(Deno.readFileSync(`${dir}/data`), new Uint8Array([0, 255]));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["data", "run.sh"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("stageFiles: a bad entry is refused before any file is written", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const bad = [
      { path: `${dir}/first`, data: "x" },
      { path: `${dir}/`, data: "x" },
    ];
    await assertRejectsCoreError(stageFiles(bad), "InvalidArgument");
    await assertRejectsCoreError(
      stageFiles([{ path: `${dir}/f`, data: 5 as unknown as string }]),
      "InvalidArgument",
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("stageFiles: a list that is not an array is a typed error, as in chain's options", async () => {
  await assertRejectsCoreError(stageFiles(5 as unknown as []), "InvalidArgument");
  await assertRejectsCoreError(
    chain([["true"]], { stageFiles: 5 as unknown as [] }),
    "InvalidArgument",
  );
  await assertRejectsCoreError(chain([["true"]], 5 as unknown as ChainOptions), "InvalidArgument");
  assert.equal(
    (await chain([["true"]], null as unknown as ChainOptions)).success,
    true,
    "null: no options",
  );
});
