namespace sw::intel {}
