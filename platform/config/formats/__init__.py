"""Date and number formats of Peru (dd/mm/aaaa), in Spanish and in English."""
