import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["test/unit/**/*.test.ts"] }
      },
      {
        test: {
          name: "contract",
          include: ["test/contract/**/*.test.ts"],
          globalSetup: ["test/contract/prism-setup.ts"],
          testTimeout: 30_000
        }
      },
      {
        test: { name: "package", include: ["test/package/**/*.test.ts"], testTimeout: 120_000 }
      },
      {
        test: { name: "runtimes", include: ["test/runtimes/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 300_000 }
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/server-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 600_000,
          fileParallelism: false
        }
      }
    ]
  }
})
