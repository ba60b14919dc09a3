"""Language helpers shared by the stages: text normalisation, sentences, entities."""
