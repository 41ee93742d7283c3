"""What the seizure pages and the seizure API share: running an upload through the importer,
reading the filters of a request."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

from alianza import refusals
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.db import Database
from alianza.seizures.profile import BadProfile, UnknownProfile, builtin_profiles, load_profile
from alianza.seizures.reports import StoredReport, save_report
from alianza.seizures.service import import_file
from alianza.web.errors import SEIZURE_FILE_TYPE, UNKNOWN_PROFILE, ApiError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the default of ALIANZA_MAX_UPLOAD_MB
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl", ".ndjson")


def profile_choices(language: str) -> list[tuple[str, str]]:
    """(name, title) of each built-in profile."""
    out = []
    for name in builtin_profiles():
        profile = load_profile(name)
        out.append((name, profile.title_es if language == "es" else profile.title))
    return out


async def import_upload(
    database: Database,
    upload: UploadFile,
    profile: str,
    user: Principal,
    *,
    limit: int = MAX_UPLOAD_BYTES,
) -> StoredReport:
    """Import an uploaded file with a built-in profile; the report is kept (and returned)."""
    if profile not in builtin_profiles():
        known = ", ".join(builtin_profiles())
        raise ApiError(400, "unknown-profile", UNKNOWN_PROFILE.said(profile=profile, known=known))
    name = Path(upload.filename or "upload.csv").name or "upload.csv"
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ApiError(
            400,
            "bad-file-type",
            SEIZURE_FILE_TYPE.said(name=name, suffixes=", ".join(SUFFIXES)),
        )
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, "too-large", refusals.FILE_TOO_LARGE["seizure"].said(limit=limit))

    def run() -> StoredReport:
        with tempfile.TemporaryDirectory(prefix="alianza-upload-") as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(data)
            try:
                outcome = import_file(database, path, profile, actor=user, source_name=name)
            except (UnknownProfile, BadProfile) as error:
                raise ApiError(400, "unknown-profile", message_of(error)) from None
        with database.transaction() as session:
            return save_report(session, outcome, profile=profile, actor=user)

    return await run_in_threadpool(run)
