/** Types of scripts/identity.mjs, for the TypeScript that imports it (the tests). */
export declare const PLACEHOLDER_OWNER: string
export declare const PLACEHOLDER_REPOSITORY: string

export interface PackageJson {
  name: string
  version: string
  repository?: string | { type?: string; url: string }
  homepage?: string
  bugs?: { url: string }
  [field: string]: unknown
}

export declare function repositoryOf(pkg: PackageJson): string | undefined
export declare function readIdentity(root: string): {
  pkg: PackageJson
  repository: string | undefined
  packageName: string
}
export declare function repositoryFields(repository: string): Pick<PackageJson, 'repository' | 'homepage' | 'bugs'>
export declare function whole(text: string): RegExp
export declare function textFiles(root: string, dir?: string): { path: string; text: string }[]
export declare function placeholderLines(root: string): string[]
