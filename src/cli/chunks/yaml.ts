// dist/cli-yaml.js: npm's `yaml`, which the CLI loads only when a YAML config file is read (esbuild.mjs, `lazyPackages`).
export * from 'yaml';
