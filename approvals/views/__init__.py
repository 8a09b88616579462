"""Pages of the approval path's artefacts, one module per area (consultation, signatures, transmission,
public pages). Thin: parse, call a selector or a flows service, render."""
