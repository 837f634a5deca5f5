import { posix } from 'node:path';
import { VigilError } from '../../../errors/index.ts';
import { corruptHeader, parseRpmHeader, type RpmHeaderEntry, RpmTag, RpmType } from './rpm-header.ts';
import { describeRpmSignature } from './rpm-signature.ts';

/** One installed package as the rpmdb records it (the fields of go-rpmdb's PackageInfo). */
export interface RpmPackageInfo {
  Epoch?: number;
  Name: string;
  Version: string;
  Release: string;
  Arch: string;
  SourceRpm: string;
  Size: number;
  License: string;
  Vendor: string;
  Modularitylabel: string;
  Summary: string;
  PGP: string;
  SigMD5: string;
  RSAHeader: string;
  DigestAlgorithm: number;
  InstallTime: number;
  BaseNames: string[];
  DirIndexes: number[];
  DirNames: string[];
  FileSizes: number[];
  FileDigests: string[];
  FileModes: number[];
  FileFlags: number[];
  UserNames: string[];
  GroupNames: string[];
  Provides: string[];
  Requires: string[];
}

export interface RpmFileInfo {
  Path: string;
  Mode: number;
  Digest: string;
  Size: number;
  Username: string;
  Groupname: string;
  Flags: number;
}

function expect(entry: RpmHeaderEntry, types: readonly number[], what: string): void {
  if (!types.includes(entry.type)) throw corruptHeader(`${what} has type ${entry.type}`);
}

const strings = (entry: RpmHeaderEntry) => {
  const text = entry.data.toString('utf8');
  return (text.endsWith('\0') ? text.slice(0, -1) : text).split('\0');
};
const firstString = (entry: RpmHeaderEntry) => strings(entry)[0] ?? '';
const int32s = (entry: RpmHeaderEntry) =>
  Array.from({ length: entry.data.length / 4 }, (_, i) => entry.data.readInt32BE(i * 4));
const uint16s = (entry: RpmHeaderEntry) =>
  Array.from({ length: entry.data.length / 2 }, (_, i) => entry.data.readUInt16BE(i * 2));
const noneIsEmpty = (value: string) => (value === '(none)' ? '' : value);

/** Reads the package fields from one header blob; a field of the wrong type makes the header corrupt. */
export function readRpmPackage(blob: Uint8Array): RpmPackageInfo {
  const header = parseRpmHeader(blob);
  const get = (tag: number) => header.get(tag);
  const text = (tag: number, what: string, types: readonly number[] = [RpmType.String]) => {
    const entry = get(tag);
    if (!entry) return '';
    expect(entry, types, what);
    return firstString(entry);
  };
  const list = (tag: number, what: string) => {
    const entry = get(tag);
    if (!entry) return [];
    expect(entry, [RpmType.StringArray], what);
    return strings(entry);
  };
  const numbers = (tag: number, what: string, type: number) => {
    const entry = get(tag);
    if (!entry) return [];
    expect(entry, [type], what);
    return type === RpmType.Int16 ? uint16s(entry) : int32s(entry);
  };
  const number = (tag: number, what: string) => numbers(tag, what, RpmType.Int32)[0] ?? 0;
  const signature = (tag: number, what: string) => {
    const entry = get(tag);
    if (!entry) return '';
    expect(entry, [RpmType.Bin], what);
    return describeRpmSignature(entry.data);
  };
  const epoch = get(RpmTag.Epoch);
  const info: RpmPackageInfo = {
    Name: text(RpmTag.Name, 'name'),
    Version: text(RpmTag.Version, 'version'),
    Release: text(RpmTag.Release, 'release'),
    Arch: text(RpmTag.Arch, 'arch'),
    SourceRpm: noneIsEmpty(text(RpmTag.SourceRpm, 'sourcerpm')),
    Size: number(RpmTag.Size, 'size'),
    License: noneIsEmpty(text(RpmTag.License, 'license')),
    Vendor: noneIsEmpty(text(RpmTag.Vendor, 'vendor')),
    Modularitylabel: text(RpmTag.ModularityLabel, 'modularitylabel'),
    Summary: text(RpmTag.Summary, 'summary', [RpmType.String, RpmType.I18nString]),
    PGP: signature(RpmTag.SigPgp, 'pgp signature'),
    SigMD5: get(RpmTag.SigMd5)?.data.toString('hex') ?? '',
    RSAHeader: signature(RpmTag.RsaHeader, 'rsa signature'),
    DigestAlgorithm: number(RpmTag.FileDigestAlgo, 'file digest algorithm'),
    InstallTime: number(RpmTag.InstallTime, 'install time'),
    BaseNames: list(RpmTag.BaseNames, 'base names'),
    DirIndexes: numbers(RpmTag.DirIndexes, 'dir indexes', RpmType.Int32),
    DirNames: list(RpmTag.DirNames, 'dir names'),
    FileSizes: numbers(RpmTag.FileSizes, 'file sizes', RpmType.Int32),
    FileDigests: list(RpmTag.FileDigests, 'file digests'),
    FileModes: numbers(RpmTag.FileModes, 'file modes', RpmType.Int16),
    FileFlags: numbers(RpmTag.FileFlags, 'file flags', RpmType.Int32),
    UserNames: list(RpmTag.FileUserName, 'file user names'),
    GroupNames: list(RpmTag.FileGroupName, 'file group names'),
    Provides: list(RpmTag.ProvideName, 'provide names'),
    Requires: list(RpmTag.RequireName, 'require names'),
  };
  if (epoch) {
    expect(epoch, [RpmType.Int32], 'epoch');
    if (epoch.data.length >= 4) info.Epoch = epoch.data.readInt32BE(0);
  }
  return info;
}

/** Installed file paths: each base name joined to the directory its index points at. */
export function rpmInstalledFileNames(pkg: RpmPackageInfo): string[] {
  const { DirNames: dirs, DirIndexes: indexes, BaseNames: names } = pkg;
  if (dirs.length === 0 || indexes.length === 0 || names.length === 0) return [];
  if (indexes.length !== names.length || dirs.length > names.length) {
    throw new VigilError('RPMDB_CORRUPT', `invalid file list in rpm ${pkg.Name}`);
  }
  return names.map((name, i) => {
    const dir = dirs[indexes[i] ?? -1];
    if (dir === undefined) throw new VigilError('RPMDB_CORRUPT', `invalid file list in rpm ${pkg.Name}`);
    return posix.join(dir, name);
  });
}

/** Installed files with their mode, digest, size, owner and flags where the header has them. */
export function rpmInstalledFiles(pkg: RpmPackageInfo): RpmFileInfo[] {
  return rpmInstalledFileNames(pkg).map((path, i) => ({
    Path: path,
    Mode: pkg.FileModes[i] ?? 0,
    Digest: pkg.FileDigests[i] ?? '',
    Size: pkg.FileSizes[i] ?? 0,
    Username: pkg.UserNames[i] ?? '',
    Groupname: pkg.GroupNames[i] ?? '',
    Flags: pkg.FileFlags[i] ?? 0,
  }));
}
