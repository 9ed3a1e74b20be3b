"""spaCy pieces of Saring's pipeline: tokenizer, normaliser, entity recognizers,
shared matcher, rule engine, trained category model.

Importing this package registers every factory with spaCy's registry, so the pipeline
can be assembled by name (``nlp.add_pipe("saring_normalizer")``) like any spaCy component.
"""

from . import tokenizer, normalizer, entities, matching, engine, model  # noqa: F401  (registration side effects)
