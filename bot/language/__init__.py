"""Language forms (en, bn, bn_latn): detection, romanising Bengali script, and the danger words of each form."""
