package lems_test
import ("testing";"path/filepath";"fmt")
func TestDbgCells(t *testing.T){
 for _, f := range []string{"LEMS_NML2_Ex18_GHK.xml","LEMS_NML2_Ex15_CaDynamics.xml","LEMS_NML2_Ex17_Tissue.xml"} {
 w:=cellModel(readTree(t, filepath.Join(referenceDir,"lems/LEMSexamples",f)))
 fmt.Println(f, len(w)); for _,l:=range w{ if len(l)>160 {l=l[:160]}; fmt.Println("  ",l)}
 }
}
