namespace sw::http {}
