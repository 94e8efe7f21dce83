/* libmu-collide.so: names in pairs with one GNU hash (h = h * 33 + c:
 * "Ab" and "BA" both add 65 * 33 + 98 = 66 * 33 + 65), each pair
 * defined with different values. */
int collide_xAb(void) { return 1; }
int collide_xBA(void) { return 2; }
int collide_data_xAb = 10;
int collide_data_xBA = 20;
