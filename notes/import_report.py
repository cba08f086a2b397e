"""What an import did (or would do), as counts, conflicts and the summary the command prints.

The command, the admin upload and the API import all show ``summary()`` and
the same ``conflicts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notes.parser.merge import Conflict


def _quoted(text: str) -> list[str]:
    lines = text.split("\n") if text else ["(empty)"]
    return [f"        | {line}" for line in lines]


@dataclass
class ImportReport:
    slug: str
    cohort: object | None = None
    created: bool = False
    dry_run: bool = False
    prefer_file: bool = False
    sections: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    site_kept: int = 0  # questions added on the site, left in place
    site_edits_kept: int = 0  # site edits of imported questions the file did not touch
    site_deletions_kept: int = 0  # questions deleted on the site that the file did not change
    pending: int = 0
    chapter_links: int = 0
    progress_changed: int = 0
    schedule_days: int = 0
    schedule_changed: int = 0
    images_copied: int = 0
    images_missing: list[str] = field(default_factory=list)
    images_rejected: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "site_kept": self.site_kept, "site_edits_kept": self.site_edits_kept,
            "site_deletions_kept": self.site_deletions_kept, "pending": self.pending,
            "chapter_links": self.chapter_links, "progress_changed": self.progress_changed,
            "schedule_changed": self.schedule_changed, "images_copied": self.images_copied,
            "images_missing": len(self.images_missing), "images_rejected": len(self.images_rejected),
            "conflicts": len(self.conflicts),
        }

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        action = "created" if self.created else "synced"
        lines = [
            f"{self.slug}: {verb}{action}{' (dry run, nothing written)' if self.dry_run else ''}",
            f"  questions: {self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed; {self.pending} pending, {self.chapter_links} linked to a chapter; "
            f"{self.sections} sections",
        ]
        if self.site_kept:
            lines.append(f"  {self.site_kept} question(s) added on the site are not in the file: kept")
        if self.site_edits_kept:
            lines.append(f"  {self.site_edits_kept} site edit(s) of questions the file did not change: kept")
        if self.site_deletions_kept:
            lines.append(f"  {self.site_deletions_kept} question(s) deleted on the site, unchanged in the file: "
                         "stay deleted")
        if self.progress_changed or self.schedule_changed:
            lines.append(
                f"  progress: {self.progress_changed} part(s) changed; schedule: {self.schedule_changed} day(s) changed"
            )
        lines.append(f"  images: {self.images_copied} copied")
        lines += [f"  image missing (not beside the notes): {path}" for path in self.images_missing]
        lines += [f"  image refused: {reason}" for reason in self.images_rejected]
        if self.conflicts:
            kept = "the file's version taken (--prefer-file)" if self.prefer_file else (
                "the site's version kept (--prefer-file takes the file's)")
            lines.append(f"  conflicts: {len(self.conflicts)} changed on the site and in the file; {kept}")
            for conflict in self.conflicts:
                lines.append(f"    {conflict.cohort} · {conflict.what}")
                lines += ["      site:", *_quoted(conflict.site), "      file:", *_quoted(conflict.file)]
        return "\n".join(lines)
