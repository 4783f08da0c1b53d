import { build } from "esbuild"
import { gzipSync } from "node:zlib"
const r = await build({ entryPoints: ["src/index.ts"], bundle: true, minify: true, platform: "browser", write: false, metafile: true, format: "esm", splitting: true, outdir: "/out", external: ["effect", "effect/*", "ky"] })
for (const [file, out] of Object.entries(r.metafile.outputs)) {
  if (!file.endsWith(".js")) continue
  const f = r.outputFiles.find((o) => o.path.endsWith(file.replace(/^.*\//, "")))!
  console.log(file, "min", f.contents.length, "gz", gzipSync(f.contents).length)
  console.log("   ", Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 14).map(([k, v]) => `${k.replace(/^.*\/(src|generated)\//, "$1/")}:${(v.bytesInOutput / 1024).toFixed(1)}K`).join("  "))
}
