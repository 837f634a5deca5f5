export { conanAnalyzer, conanAttribute } from './conan-analyzer.ts';
export { parseConanLock, parseConanReference } from './conan-lock.ts';
