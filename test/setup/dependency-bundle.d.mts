// Types of dependency-bundle.mjs (plain JavaScript: the loader thread imports it without a TypeScript hook).
export declare function bundledDependencies(): Record<string, string> | null;
export declare function buildDependencyBundle(): Promise<void>;
