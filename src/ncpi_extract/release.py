"""The output contract: pydantic models of an extracted release.

These models are the single source of truth. ``schemas/release.schema.json`` is
generated from them (``ncpi-extract schema``) and a test fails when it drifts.
All offsets are character offsets into the text the tool read (see ``decode``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Theme = Literal[
    "leadership", "partnership", "initial_contact", "risk_assessment", "investigation", "supervision_records",
    "missing_children", "exploitation", "domestic_abuse", "online_abuse", "custody", "offender_management",
    "voice_of_child", "workforce", "general",
]
Urgency = Literal["none", "improve", "urgent", "immediate"]
Stage = Literal["inspection", "post-inspection review", "re-inspection", "progress update", "thematic", "other"]
SectionKind = Literal["headline", "lead", "strengths", "concerns", "findings", "quotes", "reports", "notes", "contacts", "other"]
YearMonth = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Located(_Model):
    start: int = Field(ge=0, description="Offset of the first character in the text the tool read.")
    end: int = Field(ge=0, description="Offset one past the last character.")


class Source(_Model):
    path: str | None = Field(description="The file read, or null for text passed in directly.")
    sha256: str = Field(description="SHA-256 of the input bytes (of the UTF-8 text when text was passed in).")
    format: Literal["text", "markdown", "html"]
    encoding: str = Field(description="How the bytes were decoded: utf-8, utf-8-sig, utf-16 (with a byte-order mark), utf-16-le or utf-16-be (without one), or cp1252; "
                          "followed by ', mojibake repaired' when UTF-8 once read as Windows-1252 ('forceâ€™s') was repaired.")
    offsets: Literal["decoded_text", "extracted_text"] = Field(
        description="decoded_text: offsets index the decoded text with line ends normalised to LF; "
        "extracted_text: offsets index the text extracted from the HTML page.")
    release_index: int = Field(0, ge=0, description="Position of this release in a page that holds several.")


class Force(_Model):
    id: str = Field(description="HMICFRS slug of the force area, e.g. 'cleveland', 'devon-and-cornwall'.")
    name: str = Field(description="The force's name as the release writes it.")


class Fieldwork(_Model):
    start: str = YearMonth
    end: str = YearMonth


class Grading(_Model):
    grade: Literal["outstanding", "good", "adequate", "requires improvement", "inadequate"]
    area: str | None = Field(None, description="What was graded, when the release says.")
    count: int | None = Field(None, description="How many areas got this grade, when the release gives a count.")


class Section(Located):
    kind: SectionKind
    cue: str | None = Field(description="The cue or heading that opened the section.")
    rule: str | None = None


class Finding(Located):
    id: str = Field(description="Stable hash of the kind and normalised text: equal across runs.")
    kind: Literal["strength", "concern"]
    text: str = Field(description="The finding's words: the source span with white space folded, the '>' quoting a line dropped, and Markdown strong-emphasis marks (** and __) and footnote marks dropped.")
    source: Literal["list", "prose"]
    themes: list[Theme]
    urgency: Urgency
    confidence: dict[str, float] = Field(description="Confidence per theme in [0, 1]; 1.0 for a rule match.")
    needs_review: bool = Field(description="True when no theme was confident, or when the kind is a guess (an item under a neutral cue such as 'Key findings:' whose words hold as much praise as concern, or neither): check by hand.")
    rule: str = Field(description="Id of the cue rule that made this a finding.")
    theme_rules: dict[str, str] = Field(default_factory=dict, description="Theme -> id of the rule that gave it.")
    urgency_rule: str | None = None


class Quote(Located):
    speaker: str | None
    role: str | None
    text: str = Field(description="The quotation's paragraphs, each without its quotation marks, joined by a blank line.")
    rule: str | None = None


class Report(Located):
    title: str


class Note(Located):
    number: int
    text: str


class Contact(Located):
    kind: Literal["phone", "email"]
    value: str = Field(description="As written, with white space (a non-breaking space, a line break) folded to one space.")
    hours: str | None


class Warning(_Model):
    code: str = Field(description="Stable machine-readable code, e.g. no_findings, no_quote, truncated_list.")
    message: str


class Release(_Model):
    """One extracted press release."""

    model_config = ConfigDict(extra="forbid", title="NCPI release")

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    tool_version: str
    source: Source
    title: str | None
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    inspectorate: Literal["HMIC", "HMICFRS"] | None
    force: Force | None
    stage: Stage
    fieldwork: Fieldwork | None
    gradings: list[Grading]
    overall_urgency: Urgency
    sections: list[Section]
    findings: list[Finding]
    quotes: list[Quote]
    reports: list[Report]
    notes: list[Note]
    contacts: list[Contact]
    warnings: list[Warning]
