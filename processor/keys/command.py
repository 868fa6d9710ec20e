"""``logscrub keys``: create-kek, list, rotate, disable KID, destroy KID, forget-subject ID.

Every change is made under an exclusive lock on ``<keyring>.lock`` and written
atomically; running processes pick it up on their next keyring reload. Output names
kids, states and counts; it never prints key material or a subject id.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from processor.errors import ConfigError, KeyringError
from processor.exit_codes import ExitCode
from processor.settings import EncryptionSettings

__all__ = ["add_keys_command", "run_keys"]


def add_keys_command(sub: Any) -> None:
    """Register ``keys`` and its subcommands."""
    keys = sub.add_parser("keys", help="the encryption keyring (DEKs wrapped by the KEK)")
    ksub = keys.add_subparsers(dest="keys_command", required=True)
    ksub.add_parser("create-kek", help="create the KEK (local file, or inside the HSM)")
    ksub.add_parser("list", help="every kid with its state")
    ksub.add_parser("rotate", help="add a new active key (creates the keyring when missing)")
    p = ksub.add_parser("disable", help="stop encrypting under KID; its tokens still reveal")
    p.add_argument("kid")
    p = ksub.add_parser("destroy", help="erase KID for good: its tokens become unrecoverable")
    p.add_argument("kid")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p = ksub.add_parser("forget-subject",
                        help="block the reveal of every value of subject ID (tombstone)")
    p.add_argument("subject", metavar="ID")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    try:
        handle = lock.open("a")
    except OSError as exc:
        raise KeyringError(f"cannot lock {lock}: {type(exc).__name__}") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _confirm(kid: str) -> bool:
    if not sys.stdin.isatty():
        print("logscrub: keys destroy needs --yes when stdin is not a terminal", file=sys.stderr)
        return False
    print(f"Destroying {kid} makes every value encrypted under it unrecoverable, for good.")
    answer = input(f"Type the kid ({kid}) to confirm: ").strip()
    return answer == kid


def run_keys(args: argparse.Namespace, settings: EncryptionSettings) -> int:
    """Run one ``keys`` subcommand; return the exit code."""
    # the keyring and the KMS clients (cryptography, cloud SDKs) load only here, not
    # whenever the command line is parsed
    from processor.keys.keyring import (
        KeyringFile,
        destroy,
        disable,
        forget_subject,
        load_keyring,
        rotate,
        save_keyring,
    )
    from processor.keys.kms import open_kms

    if args.keys_command == "create-kek":
        print(open_kms(settings).create_kek())
        return ExitCode.OK
    path = settings.keyring_file
    if path is None:
        raise ConfigError("scrub.encryption.keyring_file is not set")
    with _locked(path):
        if args.keys_command == "rotate" and not path.exists():
            ring = KeyringFile(kms=settings.kms)
        else:
            ring = load_keyring(path)
        if ring.kms != settings.kms:
            raise KeyringError(f"{path} was made for kms {ring.kms!r}, not {settings.kms!r}")
        command = args.keys_command
        if command == "list":
            print(f"keyring {path} (kms {ring.kms}), "
                  f"{len(ring.forgotten_subjects)} forgotten subject(s)")
            for entry in ring.keys:
                when = entry.destroyed_at or entry.disabled_at or ""
                print(f"{entry.kid:<12} {entry.state:<13} created {entry.created_at}"
                      + (f"  since {when}" if when else ""))
            return ExitCode.OK
        if command == "rotate":
            kid = rotate(ring, open_kms(settings))  # only rotate needs the KEK
            save_keyring(path, ring)
            print(f"active key is now {kid}")
        elif command == "disable":
            disable(ring, args.kid)
            save_keyring(path, ring)
            print(f"{args.kid} is decrypt-only")
        elif command == "destroy":
            ring.get(args.kid)  # unknown kid: error before asking
            if not args.yes and not _confirm(args.kid):
                print("not destroyed", file=sys.stderr)
                return ExitCode.FAILED
            destroy(ring, args.kid)
            save_keyring(path, ring)
            print(f"{args.kid} destroyed: its values can no longer be revealed")
        elif command == "forget-subject":
            added = forget_subject(ring, args.subject)
            save_keyring(path, ring)
            print("subject forgotten" if added else "subject was already forgotten")
    return ExitCode.OK
