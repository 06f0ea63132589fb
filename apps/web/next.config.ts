import type { NextConfig } from 'next';

const config: NextConfig = {
  // Nothing is fetched from the internet at build or run time (no next/font/google, no remote images).
  poweredByHeader: false,
  // Tests may build into their own folder (NEXT_DIST_DIR) so that parallel builds never collide.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  reactStrictMode: true,
  // The workspace root holds the lockfile; Turbopack must not guess another one.
  turbopack: { root: new URL('../..', import.meta.url).pathname },
  images: { unoptimized: true },
};

export default config;
