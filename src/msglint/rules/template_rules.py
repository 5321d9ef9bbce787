"""``template/`` rules: findings the templating stage reports (declared for docs and selection)."""

from __future__ import annotations

from msglint.rules.registry import RuleDoc, stage_rule

stage_rule(
    "template/syntax",
    severity="error",
    summary="The template has a syntax error",
    doc=RuleDoc(
        what="Reports a Jinja2 syntax error in a file declared as Jinja (front matter, config or "
        "a .j2/.jinja file name). The text is still checked with tag-aware extraction.",
        why="A template that does not compile is not sent at all, or the sending system falls "
        "back to a default text: the customer never gets the message you wrote.",
        bad="Hallo {{ name }},\n{% if paid %}Danke für Ihre Zahlung.\n",
        good="Hallo {{ name }},\n{% if paid %}Danke für Ihre Zahlung.{% endif %}\n",
        fix="Close every block tag ({% if %}…{% endif %}, {% for %}…{% endfor %}) and every "
        "{{ … }}; the message names the line Jinja2 stopped at.",
    ),
)

stage_rule(
    "template/fallback",
    severity="info",
    summary="The template was checked by tag-aware extraction, not rendered",
    doc=RuleDoc(
        what="Reported once per file when msglint cannot render a template with Jinja2 "
        "(Handlebars, Go templates, Notify, or Twig/Django constructs Jinja2 cannot parse). "
        "Placeholders are treated as known variables, control tags are removed and every "
        "branch's text is checked.",
        why="Checks that depend on rendered values (worst-case lengths, fallbacks for empty "
        "variables) are less exact for such files; this note says so instead of failing.",
        bad="{{#if first_name}}Hi {{first_name}},{{/if}}   (Handlebars)",
        good="---\nsyntax: handlebars\n---\n{{#if first_name}}Hi {{first_name}},{{/if}}",
        fix="Nothing to fix. Declare `syntax:` in front matter or config to make the choice "
        "explicit, or ignore the rule (`ignore: [template/fallback]`).",
    ),
)

stage_rule(
    "template/unsafe",
    severity="error",
    summary="The template tries to reach Python internals (sandbox escape)",
    doc=RuleDoc(
        what="Reports access to internal attributes such as `__class__`, `__mro__`, "
        "`__globals__` or `__subclasses__`, found in the template's syntax tree or blocked by "
        "Jinja2's sandbox while rendering. Such templates are never rendered.",
        why="Templates are edited by many people and sometimes come from outside; these "
        "constructs are how template injection attacks read secrets or run code on the "
        "sending system.",
        bad="{{ ''.__class__.__mro__[1].__subclasses__() }}",
        good="{{ customer.first_name }}",
        fix="Remove the expression. Templates only need the variables of their sample data.",
    ),
)

stage_rule(
    "template/include",
    severity="error",
    summary="An include or import is refused (outside the template root) or not found",
    doc=RuleDoc(
        what="Reports `{% include %}`, `{% import %}` and `{% extends %}` with an absolute path "
        "or a path that leaves the template root (`template_root` in config, by default the "
        "config file's folder). Such includes are refused.",
        why="A template that includes files from elsewhere could leak server files into a "
        "customer's message.",
        bad="{% include '../../etc/passwd' %}",
        good="{% include 'partials/footer.html' %}",
        fix="Keep shared partials inside the template repository and include them by a path "
        "relative to the template root.",
        options={"template_root": "config key: the folder includes must stay in"},
    ),
)

stage_rule(
    "template/render",
    severity="error",
    summary="Rendering failed or was stopped at a safety limit",
    doc=RuleDoc(
        what="Reports a render that raised an error with the sample data, or that was stopped "
        "because it exceeded a bound: loop iterations, output size, recursion or time.",
        why="If the template fails with realistic data, customers get no message or a broken "
        "one; runaway loops can stall the sending system.",
        bad="{% for i in range(10000000) %}.{% endfor %}",
        good="{% for item in order.items %}{{ item.name }}{% endfor %}",
        fix="Check the expression at the reported line against the sample data; loop over "
        "data, not over huge ranges.",
    ),
)

stage_rule(
    "template/undefined-variable",
    severity="warning",
    summary="A variable has no value in any sample",
    doc=RuleDoc(
        what="Reports variables the template reads that no sample (front matter `samples:`, "
        "`variables: {name: {example: …}}` or config `samples:`) defines. Without samples at "
        "all, one info finding lists the variables rendered as placeholders.",
        why="Length, fallback and personalisation checks are only as good as the sample data; "
        "a variable without a sample is also often a typo ({{ frist_name }}).",
        bad="---\nsamples:\n  - {first_name: Anna}\n---\nHallo {{ firstname }},",
        good="---\nsamples:\n  - {first_name: Anna}\n---\nHallo {{ first_name }},",
        fix="Fix the variable name, or add a realistic value for it to the samples.",
    ),
)
