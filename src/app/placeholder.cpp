namespace sw::app {}
