"""Findings the e-mail channel reports while building a message (MJML structure)."""

from __future__ import annotations

from msglint.rules.registry import RuleDoc, stage_rule

MJML = stage_rule(
    "email/mjml",
    severity="error",
    summary="MJML structure: unknown tags or attributes, misplaced components, missing title",
    doc=RuleDoc(
        what=(
            "Checks an MJML template against the MJML 4 components: unknown tags, components "
            "in a place MJML does not allow them (e.g. <mj-text> directly in <mj-body>), "
            "unknown or missing attributes, text outside <mj-text>, a missing <mj-title> when "
            "the front matter has no subject, and errors from compiling the MJML. Unknown "
            "attributes, stray text and a missing title are warnings; the rest are errors."
        ),
        why=(
            "MJML drops what it does not understand without a word: a misplaced component or a "
            "misspelt attribute silently disappears from the e-mail the customer gets, and a "
            "missing title leaves the web view and some clients without a subject line."
        ),
        bad=(
            "<mjml>\n"
            "  <mj-body>\n"
            '    <mj-text colour="#333">Your order has shipped.</mj-text>\n'
            "  </mj-body>\n"
            "</mjml>"
        ),
        good=(
            "<mjml>\n"
            "  <mj-head><mj-title>Your order has shipped</mj-title></mj-head>\n"
            "  <mj-body>\n"
            "    <mj-section><mj-column>\n"
            '      <mj-text color="#333">Your order has shipped.</mj-text>\n'
            "    </mj-column></mj-section>\n"
            "  </mj-body>\n"
            "</mjml>"
        ),
        fix=(
            "Put content components in <mj-section>/<mj-column>, fix the tag or attribute "
            "name the message suggests, and add <mj-title> (or `subject:` in the front matter)."
        ),
    ),
)
