// dist/cli-smol-toml.js: npm's `smol-toml`, which the CLI loads only when a TOML file is read (esbuild.mjs, `lazyPackages`).
export * from 'smol-toml';
