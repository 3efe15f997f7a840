import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const src = fileURLToPath(new URL('./src', import.meta.url));

/** Every renderer unit test, by its path under src/ without the extension (lib/jobs.test). */
const entries = Object.fromEntries(
  readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => [file.replace(/\\/g, '/').replace(/\.ts$/, ''), `${src}/${file}`]),
);

/**
 * The renderer's unit tests, built as the page is (Svelte's client runtime, runes compiled)
 * into ES modules that `node --test dist/` runs in plain Node: the state under test touches
 * no DOM. node:test and node:assert stay imports; everything else is bundled.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [svelte()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer-tests', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    copyPublicDir: false,
    lib: { entry: entries, formats: ['es'] },
    rollupOptions: {
      external: [/^node:/],
      output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
