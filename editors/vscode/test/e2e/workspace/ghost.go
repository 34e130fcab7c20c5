package main

// seedGhostAdd returns the sum of a and b.
func seedGhostAdd(a int, b int) int {
	
}
