"""Findings of the loading stage (``msglint.discover``): unreadable files and bad metadata."""

from __future__ import annotations

from msglint.rules.registry import RuleDoc, stage_rule

stage_rule(
    "template/too-large",
    severity="error",
    summary="The file is larger than `max_file_bytes` and was not checked",
    doc=RuleDoc(
        what="Reports a template file larger than the configured `max_file_bytes` "
        "(default 1,000,000 bytes). The file is not read, so nothing else in it is checked.",
        why="A message template that large is almost always a mistake (an inlined image, a "
        "build artefact, a log file); e-mail clients clip large messages and customers never "
        "see the end of them.",
        bad="welcome.email.html   (2.4 MB, with a base64 image inlined)",
        good='welcome.email.html   (24 KB, the image linked with <img src="https://…">)',
        fix="Link images instead of inlining them, move generated files out of the template "
        "folder, add them to `exclude`, or raise `max_file_bytes` in the config.",
    ),
)

stage_rule(
    "template/binary",
    severity="error",
    summary="The file is binary (or UTF-16), not a text template",
    doc=RuleDoc(
        what="Reports a file that contains NUL bytes: an image, an archive, or text saved as "
        "UTF-16. The file is not checked further.",
        why="The sending system expects UTF-8 text; a binary or UTF-16 template arrives as "
        "garbage, or not at all.",
        bad="reminder.sms   (saved as UTF-16 by an old editor)",
        good="reminder.sms   (saved as UTF-8)",
        fix="Save the file as UTF-8, or exclude binary files with `exclude` in the config.",
    ),
)

stage_rule(
    "template/encoding",
    severity="error",
    summary="The file is not valid UTF-8",
    doc=RuleDoc(
        what="Reports the line and column of the first byte that is not valid UTF-8 "
        "(typically a Windows-1252 or Latin-1 umlaut). The file is not checked further.",
        why="A wrongly encoded umlaut reaches the customer as `Ã¼` or `�` — the message looks "
        "broken and untrustworthy, and SMS may switch to a more expensive encoding.",
        bad="Sehr geehrte Kundin, vielen Dank f\\xfcr Ihre Bestellung.   (Latin-1 ü)",
        good="Sehr geehrte Kundin, vielen Dank für Ihre Bestellung.   (UTF-8)",
        fix="Convert the file to UTF-8 (e.g. `iconv -f windows-1252 -t utf-8`) and check the "
        "special characters afterwards.",
    ),
)

stage_rule(
    "template/unreadable",
    severity="error",
    summary="The file could not be read",
    doc=RuleDoc(
        what="Reports a template file that exists but cannot be read (permissions, a broken "
        "link, a file removed during the run).",
        why="A template msglint cannot read is not checked; the problems in it reach the "
        "customer unnoticed.",
        bad="-rw------- root  invoice.email.html",
        good="-rw-r--r-- you   invoice.email.html",
        fix="Fix the file's permissions or the link, or exclude the file in the config.",
    ),
)

stage_rule(
    "template/front-matter",
    severity="error",
    summary="The front matter (or a YAML message file's metadata) is invalid",
    doc=RuleDoc(
        what="Reports front matter that is not valid YAML or never closed (errors), and "
        "unknown keys or values of the wrong type or outside the allowed values (warnings; "
        "the key is then ignored). Keys: channel, language, syntax, category, journey, "
        "trigger, requires_action, subject, preheader, title, samples, variables, msglint.",
        why="Front matter decides the channel, language and limits a template is checked "
        "against; a misspelt key silently checks the message against the wrong rules, and "
        "a broken block hides the metadata from every other tool.",
        bad="---\nchanel: sms\nrequires_action: maybe\n---\nIhr Paket ist da.",
        good="---\nchannel: sms\nrequires_action: false\n---\nIhr Paket ist da.",
        fix="Correct the key or value named in the message; the allowed keys and values are "
        "listed in the README under 'File conventions'.",
    ),
)

stage_rule(
    "template/yaml",
    severity="error",
    summary="A YAML message file (push, WhatsApp, ...) is invalid",
    doc=RuleDoc(
        what="Reports a YAML message file that is not valid YAML or not a mapping (errors), "
        "and message parts that are not text or WhatsApp buttons that are malformed "
        "(warnings; the part is then skipped).",
        why="The sending system cannot read such a file, or reads a different message than "
        "you reviewed: the customer gets no notification, or a broken one.",
        bad="title: Ihr Paket\nbody: Es ist da: {{ link }\n  - kaputt",
        good='title: Ihr Paket\nbody: "Es ist da: {{ link }}"',
        fix="Fix the YAML at the line named in the message; quote values that contain `:`, "
        "`#`, `{` or start with a special character, or use a `|` block.",
    ),
)
