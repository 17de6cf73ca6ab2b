"""Bringing people and journals together: the rules, and where each operation lives.

Three operations share one rule set (the README's "Moving data in and out" states it):

* **Import** (vCard, CSV): :mod:`.contact_files` reads the file; each incoming person is
  matched (:mod:`.matching`) to a contact of the journal by id (a vCard UID or CSV id
  written by netjournal), else by email, else by name (case- and accent-insensitive, aliases
  included). A match is *updated* by :func:`.combine.fold_into` (fills empty fields, adds new
  emails, phones, aliases and tags; never overwrites what the journal holds); no match is
  *added*; several matches are *ambiguous* and left alone. :mod:`.import_plan` computes all
  this without writing (the preview) and writes it as one undoable change.
* **Contact merge** (duplicates, :mod:`.contact_merge`): fold one contact into another, move
  their interactions and favours, and lose nothing.
* **Journal merge** (:mod:`.journal_merge`): read another copy (an export or a journal file),
  compare it record by record by stable id and ``updated`` timestamp, and write the result
  as one undoable change.

This module only gathers those names for the app's importer and merge screens, which still
import them from here; everything else imports from the module that holds the name.
"""

from __future__ import annotations

from netjournal.domain.people import name_key
from netjournal.interop.combine import content, describe_change, differences, fold_into
from netjournal.interop.contact_files import load_contacts_file, parse_contacts
from netjournal.interop.contact_merge import ContactMerge, combine_duplicates, merge_contacts, plan_contact_merge
from netjournal.interop.export_records import select_contacts, stored_records
from netjournal.interop.import_plan import ImportPlan, PlanItem, apply_import, plan_import
from netjournal.interop.journal_merge import (
    READER,
    Conflict,
    JournalMerge,
    apply_journal_merge,
    load_other,
    plan_journal_merge,
)
from netjournal.interop.matching import Matcher, email_key, phone_key
from netjournal.interop.parsed import Parsed, Problem

__all__ = [
    "Conflict", "ContactMerge", "ImportPlan", "JournalMerge", "Matcher", "Parsed", "PlanItem", "Problem",
    "apply_import", "apply_journal_merge", "combine_duplicates", "content", "describe_change", "differences",
    "email_key", "fold_into", "load_contacts_file", "load_other", "READER", "merge_contacts", "name_key",
    "parse_contacts",
    "phone_key", "plan_contact_merge", "plan_import", "plan_journal_merge", "select_contacts", "stored_records",
]
