// @ts-check
import tseslint from "typescript-eslint"

export default tseslint.config(
  { ignores: ["dist/**", "generated/**", "node_modules/**", ".venv-server/**", "coverage/**", "docs/api/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off"
    }
  }
)
